using CollectorCluster.Testing;

[assembly: AssemblyFixture(typeof(DovecotFixture))]
