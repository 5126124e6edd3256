module.exports = { ...require('../../jest.preset.js'), displayName: 'launcher', testTimeout: 240000 };
