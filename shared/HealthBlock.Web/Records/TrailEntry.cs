namespace HealthBlock.Web;

/// <summary>One committed transaction of the access trail: a key transaction, a payment or a diagnosis.</summary>
/// <param name="TimeMs">Its block's time (Unix ms).</param>
/// <param name="Kind"><c>key</c>, <c>payment</c>, <c>diagnosis</c> or <c>note</c>.</param>
/// <param name="Summary">What it did, in words (who received keys, who was paid, who diagnosed what).</param>
/// <param name="Chain">userchain or docchain.</param>
/// <param name="Height">Its block's height.</param>
/// <param name="Index">Its index in the block.</param>
/// <param name="TransactionId">Its id (hex).</param>
/// <param name="BlockHash">Its block's hash (hex).</param>
public sealed record TrailEntry(long TimeMs, string Kind, string Summary, string Chain, ulong Height, int Index, string TransactionId, string BlockHash)
{
    /// <summary>Where it committed: chain/height/index.</summary>
    public string Location => $"{Chain}/{Height}/{Index}";
}
