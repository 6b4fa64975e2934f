using CollectorCluster.FaultTests;

[assembly: AssemblyFixture(typeof(FaultLabFixture))]
