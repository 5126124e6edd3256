module.exports = { ...require('../../jest.preset.js'), displayName: 'warehouse-adapter' };
