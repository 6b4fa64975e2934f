using CollectorCluster.Testing;

// One private Dovecot for the whole assembly; every test isolates itself with its own users and temp directory.
[assembly: AssemblyFixture(typeof(DovecotFixture))]
