namespace CollectorCluster.Delivery.Tests;

/// <summary>Test classes that deliver into the shared private Dovecot (LMTP, dovecot-lda).</summary>
[CollectionDefinition]
public sealed class DovecotCollection : ICollectionFixture<LmtpDovecotFixture>
{
}
