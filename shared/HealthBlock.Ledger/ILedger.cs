using HealthBlock.Crypto;
using HealthBlock.Protocol.Ledger;

namespace HealthBlock.Ledger;

/// <summary>
/// The ledger as the gateway, the doctor node and the CLI see it: a writer (<see cref="ILedgerWriter"/>), a reader
/// (<see cref="ILedgerReader"/>) and a chain feed (<see cref="IChainFeed"/>). Implemented by the accounting node (in
/// process), by <see cref="LedgerClient"/> over HTTP and by an in-memory ledger (no Raft, no HTTP, for tests);
/// one conformance suite tests all three. A part that only reads or only follows takes the narrower interface.
/// </summary>
/// <remarks>All members are safe for concurrent use.</remarks>
public interface ILedger : ILedgerWriter, ILedgerReader, IChainFeed
{
}
