namespace HealthBlock.Statistics;

/// <summary>Why the statistics node refuses to decrypt a cohort.</summary>
public enum CohortRefusal
{
    /// <summary>The request is malformed (unknown metric, empty window, …).</summary>
    InvalidRequest,

    /// <summary>The request's signature does not verify, or it is too old or too far in the future.</summary>
    BadSignature,

    /// <summary>The requester is not a registered doctor or admin.</summary>
    NotAllowed,

    /// <summary>A patient named in the cohort is not opted in (opting out withdraws every contribution).</summary>
    OptedOut,

    /// <summary>The cohort holds fewer than k patients.</summary>
    BelowK,

    /// <summary>The cohort differs from an earlier decrypted cohort (same metric, overlapping window) by fewer than k patients.</summary>
    Differencing,

    /// <summary>The sum sent is not the sum of the committed contributions (tampered, or another cohort's).</summary>
    SumMismatch,
}
