import { useCallback, useState } from 'react';
import Dialog from '@mui/material/Dialog';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import List from '@mui/material/List';
import ListItem from '@mui/material/ListItem';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableContainer from '@mui/material/TableContainer';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import { useApi } from '@backstage/frontend-plugin-api';
import {
  COMPLIANCE_CONTROLS,
  ControlResult,
} from '@internal/plugin-omnivision-common';
import {
  ClusterHealthChip,
  ControlStatusChip,
  omnivisionApiRef,
  useFleetValue,
} from '@internal/plugin-omnivision-react';
import { FleetPageContent } from '../FleetPageContent';

/** Column headers short enough for the matrix; the control's full title is the tooltip. */
const SHORT_TITLES: Record<string, string> = {
  mtls: 'mTLS STRICT',
  'hipaa-policy': 'HIPAA label',
  'pod-security': 'Pod Security',
  vulnerabilities: 'CVEs (Trivy)',
  'image-signatures': 'Signed images',
  'workload-identity': 'Workload identity',
  'encryption-at-rest': 'Encryption at rest',
  'admin-sign-in': 'Admin sign-in',
};

interface OpenCell {
  cluster: string;
  control: ControlResult;
}

/**
 * `/fleet/compliance`: a clusters × controls matrix, each cell pass, fail, unknown or declared;
 * a cell opens its evidence (the namespace without its Pod Security label, the image and its
 * Critical CVE, the PERMISSIVE PeerAuthentication).
 */
export function CompliancePage() {
  const api = useApi(omnivisionApiRef);
  const state = useFleetValue(useCallback(() => api.getCompliance(), [api]));
  const [open, setOpen] = useState<OpenCell | undefined>();
  return (
    <>
      <FleetPageContent state={state}>
        {compliance => (
          <TableContainer sx={{ overflowX: 'auto' }}>
            <Table
              size="small"
              aria-label="compliance matrix"
              sx={{ '& td, & th': { whiteSpace: 'nowrap' } }}
            >
              <TableHead>
                <TableRow>
                  <TableCell>Cluster</TableCell>
                  <TableCell>Score</TableCell>
                  {COMPLIANCE_CONTROLS.map(c => (
                    <TableCell key={c.id} title={c.title}>
                      {SHORT_TITLES[c.id] ?? c.title}
                    </TableCell>
                  ))}
                </TableRow>
              </TableHead>
              <TableBody>
                {compliance.clusters.map(cluster => (
                  <TableRow key={cluster.name}>
                    <TableCell>
                      <Typography variant="body2">
                        {cluster.name} ({cluster.region})
                      </Typography>
                      <ClusterHealthChip health={cluster.health} />
                    </TableCell>
                    <TableCell>
                      {Math.round(cluster.compliance.score * 100)}%
                    </TableCell>
                    {COMPLIANCE_CONTROLS.map(c => {
                      const control = cluster.compliance.controls.find(
                        x => x.id === c.id,
                      );
                      return (
                        <TableCell key={c.id}>
                          {control && (
                            <ControlStatusChip
                              status={control.status}
                              label={`${c.id} on ${cluster.name}: ${control.status}`}
                              onClick={() =>
                                setOpen({ cluster: cluster.name, control })
                              }
                            />
                          )}
                        </TableCell>
                      );
                    })}
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </TableContainer>
        )}
      </FleetPageContent>
      <Dialog open={!!open} onClose={() => setOpen(undefined)} fullWidth>
        {open && (
          <>
            <DialogTitle>
              {open.control.title} on {open.cluster}:{' '}
              <ControlStatusChip status={open.control.status} />
            </DialogTitle>
            <DialogContent>
              <Typography variant="subtitle2">Evidence</Typography>
              <List dense aria-label="evidence">
                {open.control.evidence.map(line => (
                  <ListItem key={line}>{line}</ListItem>
                ))}
              </List>
            </DialogContent>
          </>
        )}
      </Dialog>
    </>
  );
}
