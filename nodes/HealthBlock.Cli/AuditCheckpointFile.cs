using System.Globalization;
using HealthBlock.Ledger;

namespace HealthBlock.Cli;

/// <summary>
/// The file behind <c>audit --checkpoints FILE</c>: one line per block an audit verified, <c>chain height hash time</c>
/// (e.g. <c>userchain 1042 9f…e1 2026-12-06T12:00:00Z</c>), lines starting with <c>#</c> ignored. Each passing audit
/// appends the tips it verified; each audit first requires every recorded block to be found again with the same hash.
/// A missing file is an empty one (the first audit); a line that does not parse is refused naming the line.
/// </summary>
internal static class AuditCheckpointFile
{
    /// <summary>Reads the checkpoints in <paramref name="path"/> (none when it does not exist).</summary>
    /// <exception cref="CliException">A line does not parse.</exception>
    public static List<ChainCheckpoint> Read(string path)
    {
        var checkpoints = new List<ChainCheckpoint>();
        if (!File.Exists(path))
        {
            return checkpoints;
        }

        var number = 0;
        foreach (var line in File.ReadLines(path))
        {
            number++;
            var text = line.Trim();
            if (text.Length == 0 || text.StartsWith('#'))
            {
                continue;
            }

            checkpoints.Add(Parse(text) ?? throw new CliException(
                $"--checkpoints {path} line {number}: expected 'chain height hash time' (userchain|docchain, a height, 64 hex digits, an ISO 8601 UTC time), got '{Shorten(text)}'"));
        }

        return checkpoints;
    }

    /// <summary>Appends the <paramref name="tips"/> not already recorded as they are.</summary>
    public static int Append(string path, IReadOnlyCollection<ChainCheckpoint> known, IEnumerable<ChainCheckpoint> tips)
    {
        var lines = tips
            .Where(t => !known.Any(k => k.Chain == t.Chain && k.Height == t.Height && string.Equals(k.Hash, t.Hash, StringComparison.OrdinalIgnoreCase)))
            .Select(t => string.Create(CultureInfo.InvariantCulture, $"{LedgerText.ChainName(t.Chain)} {t.Height} {t.Hash} {t.AuditedAt.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}"))
            .ToList();
        if (lines.Count > 0)
        {
            var header = File.Exists(path) ? [] : new[] { "# blocks verified by 'healthblock audit': each later audit requires each of them again, hash for hash" };
            File.AppendAllLines(path, [.. header, .. lines]);
        }

        return lines.Count;
    }

    private static ChainCheckpoint? Parse(string text)
    {
        var parts = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return parts.Length == 4
            && LedgerText.TryParseChain(parts[0], out var chain)
            && ulong.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var height)
            && parts[2].Length == 64 && parts[2].All(char.IsAsciiHexDigit)
            && DateTimeOffset.TryParse(parts[3], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at)
            ? new ChainCheckpoint(chain, height, parts[2].ToLowerInvariant(), at)
            : null;
    }

    private static string Shorten(string text) => text.Length <= 80 ? text : text[..80] + "…";
}
