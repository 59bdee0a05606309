// @ts-check
/**
 * The console's structure, checked by `npm run lint:console`: features never import each other
 * (app/ composes them), the shared lib/ imports no feature, and nothing imports in a cycle.
 */
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'Files import each other in a cycle; split out what both need.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'features-stay-apart',
      severity: 'error',
      comment:
        'A feature never imports another feature; app/ composes them, lib/ holds what they share.',
      from: { path: '^src/console/features/([^/]+)/' },
      to: { path: '^src/console/features/', pathNot: '^src/console/features/$1/' },
    },
    {
      name: 'lib-is-shared',
      severity: 'error',
      comment: 'lib/ is what every feature uses; it imports no feature and not the app.',
      from: { path: '^src/console/(lib|locales)/' },
      to: { path: '^src/console/(features|app)/' },
    },
    {
      name: 'console-talks-http-only',
      severity: 'error',
      comment:
        'The console is a separate program: it reaches the server over HTTP, never by import.',
      from: { path: '^src/console/' },
      to: { path: '^src/(?!console/)' },
    },
  ],
  options: {
    doNotFollow: { path: '^node_modules/' },
    tsConfig: { fileName: require('node:path').join(__dirname, 'tsconfig.json') },
    enhancedResolveOptions: { extensions: ['.ts', '.tsx', '.mts', '.js', '.css'] },
  },
};
