module.exports = { ...require('../../jest.preset.js'), displayName: 'settlement-service' };
