using HealthBlock.Analysis;
using HealthBlock.Protocol.Ledger;

namespace HealthBlock.Doctor.Live;

/// <summary>A condition of a patient that started or ended on the live path.</summary>
/// <param name="Condition">Its name (e.g. <c>asystole</c>, <c>high-fever</c>).</param>
/// <param name="Started">True when it started, false when it ended.</param>
/// <param name="Critical">True for a critical condition starting: an alarm.</param>
/// <param name="Finding">The finding the diagnosis reports.</param>
/// <param name="EvidenceStartMs">Device time where its evidence starts.</param>
/// <param name="ReadingMs">Device time of the reading that made it start or end (where alarm latency is measured from).</param>
/// <param name="Citations">The sealed live sub-batches the evidence lies in (the newest always included).</param>
internal sealed record LiveTransition(string Condition, bool Started, bool Critical, Finding Finding, long EvidenceStartMs, long ReadingMs, IReadOnlyList<LiveCitation> Citations);
