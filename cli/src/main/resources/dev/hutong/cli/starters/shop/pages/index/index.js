// A template: every merchant's instance runs this code with its own ext (validated against
// ext.schema.json when the instance is made), read here with my.getExtConfig.
my.getExtConfig().then(({ data }) => {
  document.getElementById('shop').textContent = data.shopName;
  document.getElementById('hours').textContent = data.openingHours || '';
});

my.getStorage({ key: 'lastVisit' })
  .then((r) => { if (r.data) document.getElementById('last').textContent = r.data; }, () => {})
  .then(() => my.setStorage({ key: 'lastVisit', data: new Date().toLocaleString() }));
