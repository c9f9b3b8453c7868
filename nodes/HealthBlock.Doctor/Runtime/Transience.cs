using HealthBlock.Ledger;
using HealthBlock.Storage;
using Microsoft.Data.Sqlite;

namespace HealthBlock.Doctor.Runtime;

/// <summary>Which failures the doctor node retries rather than gives up on.</summary>
internal static class Transience
{
    /// <summary>
    /// True for a store, network, file or database failure, a timeout, a cancellation, and a ledger refusal that says
    /// "not now" (<see cref="RejectReasonExtensions.IsTransient"/>).
    /// </summary>
    public static bool IsTransient(Exception e) =>
        e is StoreException or HttpRequestException or IOException or TimeoutException or SqliteException or OperationCanceledException
            || (e is LedgerRejectedException rejected && rejected.Reason.IsTransient());
}
