/** The service's own version; kept equal to package.json's by test/pure-modules.test.ts. */
export const serviceVersion = '0.1.0';
