import { fireEvent, render, screen } from '@testing-library/react';
import { ControlStatusChip } from './ControlStatusChip';

describe('ControlStatusChip', () => {
  it('is a button named by its label when it opens something', () => {
    const onClick = jest.fn();
    render(
      <ControlStatusChip
        status="fail"
        label="mtls on eks-us-west-2: fail"
        onClick={onClick}
      />,
    );
    fireEvent.click(
      screen.getByRole('button', { name: 'mtls on eks-us-west-2: fail' }),
    );
    expect(onClick).toHaveBeenCalledTimes(1);
  });

  it('shows the status alone otherwise', () => {
    render(<ControlStatusChip status="declared" />);
    expect(screen.getByText('declared')).toBeInTheDocument();
    expect(screen.queryByRole('button')).not.toBeInTheDocument();
  });
});
