// Sync values (account info, launch options) are there once the shell has connected: my.ready().
my.ready().then(() => {
  const info = my.getAccountInfoSync().miniProgram;
  const launch = my.getLaunchOptionsSync();
  document.getElementById('env').textContent = `Version ${info.version} (${info.envVersion}),`
    + ` opened from ${launch.query.from || 'somewhere'}.`;
});
document.getElementById('back').addEventListener('click', () => my.navigateBack());
