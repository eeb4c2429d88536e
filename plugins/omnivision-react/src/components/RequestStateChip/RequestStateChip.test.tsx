import { render, screen } from '@testing-library/react';
import { REQUEST_STATES, RequestStateChip } from './RequestStateChip';

describe('RequestStateChip', () => {
  it('names every state in words, in the order a request goes through them', () => {
    expect(REQUEST_STATES[0]).toBe('awaiting-review');
    expect(REQUEST_STATES).toContain('healthy');
    render(<RequestStateChip state="changes-requested" />);
    expect(screen.getByText('changes requested')).toBeInTheDocument();
  });
});
