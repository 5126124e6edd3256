module.exports = { ...require('../../jest.preset.js'), displayName: 'refund-service' };
