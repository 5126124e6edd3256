module.exports = { ...require('../../jest.preset.js'), displayName: 'after-sales-service' };
