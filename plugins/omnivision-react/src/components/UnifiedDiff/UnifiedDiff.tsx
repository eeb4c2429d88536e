import Box from '@mui/material/Box';

/**
 * A unified diff, added lines green and removed lines red; a patch's `Index:`/`===` preamble is
 * left out, its `---`/`+++` header and hunks are kept.
 *
 * @public
 */
export function UnifiedDiff(props: { diff?: string }) {
  if (!props.diff) return null;
  const lines = props.diff.split('\n').filter(l => !/^(Index: |={5,})/.test(l));
  return (
    <Box
      component="pre"
      aria-label="diff"
      sx={{
        m: 0,
        p: 1,
        overflowX: 'auto',
        fontSize: 12,
        bgcolor: 'action.hover',
        borderRadius: 1,
      }}
    >
      {lines.map((line, i) => {
        let color: string | undefined;
        if (line.startsWith('+') && !line.startsWith('+++'))
          color = 'success.main';
        else if (line.startsWith('-') && !line.startsWith('---'))
          color = 'error.main';
        else if (line.startsWith('@@')) color = 'info.main';
        return (
          <Box component="span" key={i} sx={{ display: 'block', color }}>
            {line || ' '}
          </Box>
        );
      })}
    </Box>
  );
}
