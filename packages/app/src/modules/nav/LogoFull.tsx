import { makeStyles } from '@material-ui/core';
import { LogoIcon } from './LogoIcon';

const useStyles = makeStyles({
  root: {
    display: 'flex',
    alignItems: 'center',
    gap: 8,
    color: '#7df3e1',
    fontSize: 20,
    fontWeight: 700,
    whiteSpace: 'nowrap',
  },
});

/** The OmniVision mark with the product name, for the open sidebar. */
export const LogoFull = () => {
  const classes = useStyles();

  return (
    <span className={classes.root}>
      <LogoIcon />
      OmniVision
    </span>
  );
};
