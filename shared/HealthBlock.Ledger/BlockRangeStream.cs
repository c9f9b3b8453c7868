using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using HealthBlock.Protocol;
using HealthBlock.Protocol.Ledger;

namespace HealthBlock.Ledger;

/// <summary>
/// The body of <see cref="LedgerRoutes.BlockRange"/>: consecutive records <c>length (u32, big-endian) ‖ canonical block
/// bytes</c> — the accounting node's block-file record, so a node sends its stored records as they are, and a reader
/// (an audit, a follower catching up from a Raft snapshot) gets a whole range in one response.
/// </summary>
public static class BlockRangeStream
{
    /// <summary>The media type of the body.</summary>
    public const string MediaType = "application/vnd.healthblock.blocks";

    /// <summary>Largest block record accepted.</summary>
    public const int MaxRecord = 256 * 1024 * 1024;

    /// <summary>Writes one record's length prefix for a block of <paramref name="length"/> bytes.</summary>
    public static void WritePrefix(Span<byte> destination, int length) => BinaryPrimitives.WriteUInt32BigEndian(destination, checked((uint)length));

    /// <summary>
    /// Decodes the records of <paramref name="stream"/> as blocks of <paramref name="chain"/> from height
    /// <paramref name="fromHeight"/> on, until the stream ends.
    /// </summary>
    /// <exception cref="ProtocolException">A record is torn, too large, not a block, or not the block due next.</exception>
    public static async IAsyncEnumerable<Block> ReadAsync(Stream stream, ChainId chain, ulong fromHeight, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var prefix = new byte[4];
        for (var height = fromHeight; ; height++)
        {
            var got = await stream.ReadAtLeastAsync(prefix, 4, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
            if (got == 0)
            {
                yield break;
            }

            var length = got == 4 ? BinaryPrimitives.ReadUInt32BigEndian(prefix) : 0;
            if (length is 0 or > MaxRecord)
            {
                throw new ProtocolException(ProtocolError.InvalidField, $"The block stream of {LedgerText.ChainName(chain)} has a bad record at height {height} ({got} prefix bytes, length {length}).");
            }

            var bytes = new byte[length];
            if (await stream.ReadAtLeastAsync(bytes, bytes.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false) != bytes.Length)
            {
                throw new ProtocolException(ProtocolError.InvalidField, $"The block stream of {LedgerText.ChainName(chain)} ends inside block {height}.");
            }

            var block = Block.Decode(bytes);
            if (block.Header.Chain != chain || block.Header.Height != height)
            {
                throw new ProtocolException(ProtocolError.InvalidField, $"The block stream sent {LedgerText.ChainName(block.Header.Chain)} block {block.Header.Height} where {LedgerText.ChainName(chain)} block {height} was due.");
            }

            yield return block;
        }
    }
}
