using HealthBlock.Ledger;
using HealthBlock.Protocol.Content;

namespace HealthBlock.Doctor;

/// <summary>A clinician note committed on Docchain.</summary>
/// <param name="TransactionId">The note's diagnosis transaction id (hex).</param>
/// <param name="Location">Where it committed.</param>
/// <param name="Number">The doctor's diagnosis number it was sealed with.</param>
/// <param name="Cid">Where the sealed note is stored.</param>
public sealed record PublishedNote(string TransactionId, TxLocation Location, ulong Number, Cid Cid);
