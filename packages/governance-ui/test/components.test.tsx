import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { TxStatus } from '../src/tx/TxStatus.js';
import { LineChart } from '../src/ui/LineChart.js';

describe('TxStatus', () => {
  it('announces pending and mined states politely and failures as alerts', () => {
    const { rerender } = render(<TxStatus state={{ status: 'pending', label: 'Wrap' }} />);
    expect(screen.getByRole('status').textContent).toMatch(/Wrap: waiting for signature/);
    rerender(<TxStatus state={{ status: 'pending', label: 'Wrap', hash: '0x' + '1'.repeat(64) }} />);
    expect(screen.getByRole('status').textContent).toMatch(/pending \(0x11111111…\)/);
    rerender(<TxStatus state={{ status: 'mined', label: 'Wrap', hash: '0x' + '2'.repeat(64), blockNumber: 7 }} />);
    expect(screen.getByRole('status').textContent).toMatch(/Wrap: mined in block 7/);
    rerender(<TxStatus state={{ status: 'failed', label: 'Claim', reason: 'Reverted: SettlementNothingToClaim(account: 0xabc)' }} />);
    expect(screen.getByRole('alert').textContent).toBe('Claim failed. Reverted: SettlementNothingToClaim(account: 0xabc)');
  });
});

describe('LineChart', () => {
  it('draws one path per series and gives the numbers as a table', () => {
    const { container } = render(
      <LineChart
        title="Supply"
        series={[
          { label: 'a', color: '#000', points: [{ x: 0, y: 1 }, { x: 1, y: 3 }] },
          { label: 'b', color: '#f00', points: [{ x: 0, y: 2 }, { x: 1, y: 2 }] },
        ]}
        formatX={(x) => `M${x}`}
        formatY={(y) => String(y)}
      />,
    );
    expect(container.querySelectorAll('path')).toHaveLength(2);
    expect(screen.getByRole('img').getAttribute('aria-label')).toMatch(/Supply/);
    const rows = screen.getAllByRole('row').map((r) => r.textContent);
    expect(rows).toEqual(['xab', 'M012', 'M132']);
  });

  it('says when there is no data', () => {
    render(<LineChart title="Votes" series={[{ label: 'v', color: '#000', points: [] }]} formatX={String} formatY={String} />);
    expect(screen.getByText('Votes: no data yet.')).toBeTruthy();
  });
});
