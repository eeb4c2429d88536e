import { omnivisionPlugin } from './plugin';

describe('omnivision', () => {
  it('should export plugin', () => {
    expect(omnivisionPlugin).toBeDefined();
  });
});
