import type { ReactNode } from 'react';
import Card from '@mui/material/Card';
import CardContent from '@mui/material/CardContent';
import CardHeader from '@mui/material/CardHeader';

/** One titled block of a detail page, as a named region for assistive technology. */
export function SectionCard(props: { title: string; children: ReactNode }) {
  return (
    <Card variant="outlined" component="section" aria-label={props.title}>
      <CardHeader
        title={props.title}
        titleTypographyProps={{ variant: 'h6' }}
      />
      <CardContent>{props.children}</CardContent>
    </Card>
  );
}
