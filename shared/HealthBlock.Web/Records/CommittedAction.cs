namespace HealthBlock.Web;

/// <summary>A transaction a page action committed.</summary>
/// <param name="What">What was done, in words.</param>
/// <param name="TransactionId">The committed transaction's id (hex).</param>
/// <param name="Location">Where it committed (chain/height/index).</param>
public sealed record CommittedAction(string What, string TransactionId, string Location);
