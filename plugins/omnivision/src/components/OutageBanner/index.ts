export { OutageBanner } from './OutageBanner';
