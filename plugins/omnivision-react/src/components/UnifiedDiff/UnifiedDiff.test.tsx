import { render, screen } from '@testing-library/react';
import { UnifiedDiff } from './UnifiedDiff';

describe('UnifiedDiff', () => {
  it("shows the header, hunks and changed lines, without a patch's preamble", () => {
    render(
      <UnifiedDiff
        diff={[
          'Index: values.yaml',
          '===================================================================',
          '--- a/values.yaml',
          '+++ b/values.yaml',
          '@@ -1,1 +1,1 @@',
          '-  maxReplicas: 2',
          '+  maxReplicas: 4',
        ].join('\n')}
      />,
    );
    const diff = screen.getByLabelText('diff');
    expect(diff).toHaveTextContent('--- a/values.yaml');
    expect(diff).toHaveTextContent('+++ b/values.yaml');
    expect(screen.getByText(/^-\s+maxReplicas: 2$/)).toBeInTheDocument();
    expect(screen.getByText(/^\+\s+maxReplicas: 4$/)).toBeInTheDocument();
    expect(diff).not.toHaveTextContent('Index:');
    expect(diff).not.toHaveTextContent('=====');
  });

  it('shows nothing without a diff', () => {
    const { container } = render(<UnifiedDiff />);
    expect(container).toBeEmptyDOMElement();
  });
});
