module.exports = { ...require('../../jest.preset.js'), displayName: 'architecture', testTimeout: 60000 };
