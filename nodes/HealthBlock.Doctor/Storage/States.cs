using System.Globalization;

namespace HealthBlock.Doctor.Storage;

/// <summary>
/// Where an IoT transaction of a served patient stands. The transitions: recorded as <see cref="Pending"/>, or
/// <see cref="NotAuthorised"/> (no key, revoked) or <see cref="Diagnosed"/> (already covered on Docchain);
/// <see cref="Pending"/> ⇄ <see cref="AwaitingPayment"/> (credit short / payment seen); <see cref="Pending"/> →
/// <see cref="InDiagnosis"/> only together with the signed diagnosis that covers it; <see cref="InDiagnosis"/> →
/// <see cref="Diagnosed"/> at its commit, or back to a waiting or final state when the ledger refuses it; any waiting
/// state → <see cref="NotAuthorised"/> on a revocation and → <see cref="Failed"/> when its block is given up.
/// </summary>
/// <remarks>The values are stored in <c>doctor.db</c>: never renumber them.</remarks>
internal enum IotState
{
    /// <summary>To be diagnosed.</summary>
    Pending = 0,

    /// <summary>The patient's paid credit does not cover the fee; retried when a payment appears.</summary>
    AwaitingPayment = 1,

    /// <summary>Covered by a signed diagnosis that is not committed yet.</summary>
    InDiagnosis = 2,

    /// <summary>Covered by a committed diagnosis.</summary>
    Diagnosed = 3,

    /// <summary>Not served: the doctor holds no key for its epoch, was revoked, or the ledger refused it.</summary>
    NotAuthorised = 4,

    /// <summary>Given up: its block cannot be fetched intact or decrypted, or the ledger refused its diagnosis for good.</summary>
    Failed = 5,
}

/// <summary>Where a diagnosis transaction stands.</summary>
/// <remarks>The values are stored in <c>doctor.db</c>: never renumber them.</remarks>
internal enum DiagnosisState
{
    /// <summary>Signed and persisted; submitted or to be submitted.</summary>
    Signed = 0,

    /// <summary>Committed on Docchain.</summary>
    Committed = 1,

    /// <summary>Refused by the ledger.</summary>
    Refused = 2,
}

/// <summary>Named groups of states, and their spelling in SQL (the stored integer, from the enum, never typed by hand).</summary>
internal static class States
{
    /// <summary>Number of <see cref="IotState"/> values (the length of a counts array).</summary>
    public const int IotStateCount = 6;

    /// <summary>Not yet covered by a diagnosis of this doctor and still to be served: pending or awaiting payment.</summary>
    public static readonly IotState[] Waiting = [IotState.Pending, IotState.AwaitingPayment];

    /// <summary>Not covered by a diagnosis of this doctor, in flight or done: what a diagnosis found on Docchain may still mark diagnosed.</summary>
    public static readonly IotState[] Uncovered = [IotState.Pending, IotState.AwaitingPayment, IotState.NotAuthorised, IotState.Failed];

    /// <summary>The stored value of a state, for SQL text.</summary>
    public static string Sql(IotState state) => ((int)state).ToString(CultureInfo.InvariantCulture);

    /// <summary>The stored value of a state, for SQL text.</summary>
    public static string Sql(DiagnosisState state) => ((int)state).ToString(CultureInfo.InvariantCulture);

    /// <summary>The stored values of states as an SQL list, e.g. <c>(0, 1)</c>.</summary>
    public static string Sql(IEnumerable<IotState> states) => "(" + string.Join(", ", states.Select(Sql)) + ")";
}
