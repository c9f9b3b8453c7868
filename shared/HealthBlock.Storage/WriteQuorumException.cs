using System.Globalization;
using HealthBlock.Protocol.Content;

namespace HealthBlock.Storage;

/// <summary>
/// A replicated write reached fewer nodes than its write quorum. The block may be on some nodes
/// (<see cref="WrittenTo"/>); retrying the put is safe (puts are idempotent).
/// </summary>
public sealed class WriteQuorumException : StoreUnavailableException
{
    /// <summary>Creates the exception with a generic message.</summary>
    public WriteQuorumException()
        : base("A replicated write did not reach its quorum.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public WriteQuorumException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public WriteQuorumException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for one block.</summary>
    /// <param name="store">The replicated store (<see cref="IContentStore.Name"/>).</param>
    /// <param name="cid">The block that was being written.</param>
    /// <param name="required">The write quorum.</param>
    /// <param name="writtenTo">The nodes that did store it.</param>
    /// <param name="failures">Why the other nodes did not.</param>
    public WriteQuorumException(string store, Cid cid, int required, IReadOnlyList<string> writtenTo, IReadOnlyList<Exception> failures)
        : base(
            store,
            string.Create(
                CultureInfo.InvariantCulture,
                $"Block {cid} was written to {writtenTo.Count} of the {required} nodes required by {store} (written: {(writtenTo.Count == 0 ? "none" : string.Join(", ", writtenTo))}); failures: {string.Join("; ", failures.Select(f => f.Message))}"),
            cid,
            new AggregateException(failures))
    {
        Required = required;
        WrittenTo = writtenTo;
    }

    /// <summary>The number of nodes that had to store the block.</summary>
    public int Required { get; }

    /// <summary>The names of the nodes that did store it.</summary>
    public IReadOnlyList<string> WrittenTo { get; } = [];
}
