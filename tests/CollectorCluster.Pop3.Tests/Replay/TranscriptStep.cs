namespace CollectorCluster.Pop3.Tests.Replay;

/// <summary>One line of a POP3 transcript, as it crossed the wire (without CRLF).</summary>
/// <param name="FromClient">True for what the client sent (<c>C:</c>), false for what the server sent (<c>S:</c>).</param>
/// <param name="Text">The line exactly as sent, dot-stuffing and trailing spaces included.</param>
/// <param name="LineNumber">Where it stands in the transcript file, for failure messages.</param>
/// <param name="Lockstep">
/// For a client line: the server reads it only after its previous reply was read in full, and refuses it when it
/// arrives earlier (pipelined), as Courier's login process does with what a client pipelines past PASS.
/// </param>
public sealed record TranscriptStep(bool FromClient, string Text, int LineNumber, bool Lockstep = false);
