namespace HealthBlock.Doctor.Following;

/// <summary>A ledger served a block that does not link to the last block this node handled (alerted once per height).</summary>
internal sealed class LedgerHistoryRewrittenException(string message) : Exception(message);
