namespace HealthBlock.Ledger;

/// <summary>Reads the ledger's server-sent event streams (chain streams, feeds): one <c>data:</c> line per event.</summary>
internal static class ServerSentEvents
{
    /// <summary>The data of the next event, or null when the stream ended.</summary>
    public static async Task<string?> ReadDataAsync(StreamReader reader, CancellationToken cancellationToken)
    {
        string? data = null;
        while (true)
        {
            var line = await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false);
            if (line is null)
            {
                return null;
            }

            if (line.Length == 0)
            {
                if (data is not null)
                {
                    return data;
                }

                continue;
            }

            if (line.StartsWith("data:", StringComparison.Ordinal))
            {
                data = line[5..].Trim();
            }
        }
    }
}
