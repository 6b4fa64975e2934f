using System.Text;
using CollectorCluster.Testing;
using CollectorCluster.Testing.Faults;

namespace CollectorCluster.FaultTests;

/// <summary>The invariant's counts from hand-made mailboxes: what is lost, doubled, deleted early or against the setting.</summary>
public sealed class MailboxInvariantTests
{
    private static readonly TestMessage A = MessageFactory.Create(600, 1, "<a@t>");
    private static readonly TestMessage B = MessageFactory.Create(700, 2, "<b@t>");
    private static readonly TestMessage C = MessageFactory.Create(800, 3, "<c@t>");

    [Fact]
    public void Each_message_once_on_both_sides_is_clean()
    {
        var invariant = Invariant(CollectionMode.Leave, A, B, C);
        var counts = invariant.Final(Files(A, B, C), Ids(A, B, C), lmtpWindowAllowance: 0);
        Assert.Equal(new InvariantCounts(0, 0, 0, 0, 0, 0, ""), counts);
    }

    [Fact]
    public void A_missing_message_is_lost_and_gone_from_the_server_too_it_was_deleted_before_delivery()
    {
        var invariant = Invariant(CollectionMode.Delete, A, B, C);
        invariant.CheckPoint(Files(A), Ids(B, C)); // A delivered and deleted; B, C still there
        var counts = invariant.Final(Files(A, B), [], lmtpWindowAllowance: 0);
        Assert.Equal(1, counts.Lost);
        Assert.Equal(1, counts.DeletedBeforeDelivered);
        Assert.Equal(0, counts.DeletedAgainstSetting); // delete mode deletes on purpose
        Assert.Contains("<c@t>", counts.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Extra_copies_are_duplicates_unless_the_lmtp_window_allows_them()
    {
        var invariant = Invariant(CollectionMode.Leave, A, B);
        var files = Files(A, A, B, B, B);
        Assert.Equal(3, invariant.Final(files, Ids(A, B), lmtpWindowAllowance: 0).Duplicated);
        var windowed = invariant.Final(files, Ids(A, B), lmtpWindowAllowance: 1);
        Assert.Equal((2, 1), (windowed.Duplicated, windowed.LmtpWindow));
    }

    [Fact]
    public void Leave_on_server_breaks_when_a_message_goes_from_the_server()
    {
        var counts = Invariant(CollectionMode.Leave, A, B).Final(Files(A, B), Ids(A), 0);
        Assert.Equal(1, counts.DeletedAgainstSetting);
        Assert.Equal(0, counts.Lost);
    }

    [Fact]
    public void Mirror_deletions_on_purpose_are_expected_and_a_local_deletion_delivered_again_is_a_duplicate()
    {
        var invariant = Invariant(CollectionMode.Mirror, A, B, C);
        invariant.UserDeletedLocally(["<a@t>"]);
        invariant.DeletedOnServer(["<b@t>"]);
        Assert.Equal(new InvariantCounts(0, 0, 0, 0, 0, 0, ""), invariant.Final(Files(C), Ids(C), 0));
        var resurrected = invariant.Final(Files(A, B, C), Ids(C), 0);
        Assert.Equal(1, resurrected.Duplicated);
    }

    [Fact]
    public void A_truncated_body_or_an_unknown_message_is_corrupt_not_a_copy()
    {
        var invariant = Invariant(CollectionMode.Leave, A);
        var truncated = MailFile.Parse("x", A.Content[..(A.Size - 20)]);
        var unknown = MailFile.Parse("y", Encoding.ASCII.GetBytes("Message-ID: <z@t>\r\n\r\nhello\r\n"));
        var counts = invariant.Final([truncated, unknown], Ids(A), 0);
        Assert.Equal((1, 2), (counts.Lost, counts.Corrupt));
    }

    [Fact]
    public void Bodies_compare_across_line_ends_and_added_header_fields()
    {
        var lf = Encoding.Latin1.GetBytes("Delivered-To: x@y\n" + Encoding.Latin1.GetString(A.Content).Replace("\r\n", "\n", StringComparison.Ordinal));
        Assert.Equal(MailFile.Parse("", A.Content) with { Path = "p" }, MailFile.Parse("p", lf));
    }

    private static MailboxInvariant Invariant(CollectionMode mode, params TestMessage[] messages)
    {
        var invariant = new MailboxInvariant(mode);
        invariant.Dropped(messages);
        return invariant;
    }

    private static List<MailFile> Files(params TestMessage[] messages) => [.. messages.Select((m, i) => MailFile.Parse($"f{i}", m.Content))];

    private static List<string?> Ids(params TestMessage[] messages) => [.. messages.Select(m => (string?)m.MessageId)];
}
