import { render, screen } from '@testing-library/react';
import { ComplianceSummaryChip } from './ComplianceSummaryChip';

describe('ComplianceSummaryChip', () => {
  it('gives the score and what fails, or else what is unknown', () => {
    const { rerender } = render(
      <ComplianceSummaryChip
        compliance={{
          score: 0.75,
          compliant: false,
          failing: ['mtls'],
          unknown: ['vulnerabilities'],
        }}
      />,
    );
    expect(
      screen.getByText('Compliance 75% · failing: mtls'),
    ).toBeInTheDocument();
    rerender(
      <ComplianceSummaryChip
        compliance={{
          score: 0.875,
          compliant: false,
          failing: [],
          unknown: ['vulnerabilities'],
        }}
      />,
    );
    expect(
      screen.getByText('Compliance 88% · unknown: vulnerabilities'),
    ).toBeInTheDocument();
  });
});
