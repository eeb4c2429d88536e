import { makeStyles } from '@material-ui/core';

const useStyles = makeStyles({
  svg: {
    width: 'auto',
    height: 28,
  },
});

/** The OmniVision mark: an aperture, drawn for the collapsed sidebar. */
export const LogoIcon = () => {
  const classes = useStyles();

  return (
    <svg
      className={classes.svg}
      xmlns="http://www.w3.org/2000/svg"
      viewBox="0 0 32 32"
      role="img"
      aria-label="OmniVision"
    >
      <circle
        cx="16"
        cy="16"
        r="13"
        fill="none"
        stroke="#7df3e1"
        strokeWidth="3"
      />
      <circle cx="16" cy="16" r="5" fill="#7df3e1" />
    </svg>
  );
};
