namespace HealthBlock.Fuzz;

/// <summary>How inputs of a target are shaped, which picks the structure-aware mutations used beside the byte-level ones.</summary>
public enum InputShape
{
    /// <summary>Opaque bytes (frames, sealed messages).</summary>
    Binary,

    /// <summary>Canonical CBOR (transactions, blocks, IoT batch plaintexts): CBOR tree mutations.</summary>
    Cbor,

    /// <summary>Short printable text (printed CIDs): the bytes are read as Latin-1 characters.</summary>
    Text,

    /// <summary>UTF-8 JSON (diagnosis documents): JSON tree mutations.</summary>
    Json,

    /// <summary>PEM text (key files): DER mutations under valid base64.</summary>
    Pem,
}

/// <summary>What one decoder call did with an input.</summary>
public enum FuzzOutcome
{
    /// <summary>Decoded (and, where the format is canonical, re-encoded to the same bytes).</summary>
    Accepted,

    /// <summary>Refused with the decoder's own error type.</summary>
    Rejected,
}

/// <summary>
/// One decoder under fuzzing: valid seed encodings, the call, and the exception types the decoder documents. Any
/// other exception is a crash. <see cref="Run"/> may throw <see cref="FuzzContractException"/> when a decoded value
/// breaks the format's contract (e.g. it re-encodes to other bytes: two byte forms of one ledger object).
/// </summary>
public sealed class FuzzTarget
{
    /// <summary>Short name (e.g. <c>tx.decode</c>).</summary>
    public required string Name { get; init; }

    /// <summary>The API under test, for reports (e.g. <c>Transaction.Decode</c>).</summary>
    public required string Decoder { get; init; }

    /// <summary>Valid encodings that mutations start from.</summary>
    public required IReadOnlyList<byte[]> Seeds { get; init; }

    /// <summary>Which structure-aware mutations apply.</summary>
    public required InputShape Shape { get; init; }

    /// <summary>Exception types the decoder documents (subclasses included).</summary>
    public required IReadOnlyList<Type> Expected { get; init; }

    /// <summary>Calls the decoder on one input; throws the decoder's own errors as they come.</summary>
    public required Func<byte[], FuzzOutcome> Run { get; init; }

    /// <summary>Longest purely random input.</summary>
    public int MaxRandomLength { get; init; } = 600;

    /// <summary>Failures already found and reported (they are counted apart from new crashes).</summary>
    public IReadOnlyList<KnownIssue> KnownIssues { get; init; } = [];

    /// <summary>True when <paramref name="e"/> is one of the decoder's documented exceptions.</summary>
    public bool IsExpected(Exception e) => Expected.Any(t => t.IsInstanceOfType(e));
}

/// <summary>A decoded value broke its format's contract (the harness's own failure, never an expected exception).</summary>
public sealed class FuzzContractException : Exception
{
    /// <summary>Creates the exception.</summary>
    public FuzzContractException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public FuzzContractException()
    {
    }

    /// <summary>Creates the exception.</summary>
    public FuzzContractException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>
/// A failure that fuzzing found and that has been reported but not fixed yet. Its crashes are counted as known; with
/// <see cref="FuzzOptions.SkipKnownIssueInputs"/> the inputs that <see cref="MatchesInput"/> recognises are not run at
/// all (for hangs, whose thread cannot be stopped). Remove the entry when the decoder is fixed.
/// </summary>
/// <param name="Id">A short id (also the name of the regression test).</param>
/// <param name="Summary">One line: what fails and why.</param>
public sealed record KnownIssue(string Id, string Summary)
{
    /// <summary>Recognises a crash of this issue from the crash and its input.</summary>
    public Func<Crash, byte[], bool>? MatchesCrash { get; init; }

    /// <summary>Recognises an input that triggers this issue before it runs.</summary>
    public Func<byte[], bool>? MatchesInput { get; init; }
}
