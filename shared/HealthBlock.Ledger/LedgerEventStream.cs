using System.Net.Http.Headers;
using System.Runtime.CompilerServices;

namespace HealthBlock.Ledger;

/// <summary>The ledger's server-sent event streams (chain streams, feeds) as a client reads them, reconnecting where it left off.</summary>
/// <param name="http">The client's HTTP client.</param>
/// <param name="read">Makes a (signed) GET of a path.</param>
internal sealed class LedgerEventStream(HttpClient http, Func<string, HttpRequestMessage> read)
{
    /// <summary>
    /// Server-sent events from <paramref name="path"/>(height), decoded in order from <paramref name="fromHeight"/>; a
    /// lost connection is reopened after the last event decoded.
    /// </summary>
    public async IAsyncEnumerable<T> EventsAsync<T>(ulong fromHeight, Func<ulong, string> path, Func<string, ulong, T> decode, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var next = fromHeight;
        var failures = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            var reader = await OpenStreamAsync(path(next), cancellationToken).ConfigureAwait(false);
            if (reader is null)
            {
                failures++;
                await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(2000, 100 * failures)), cancellationToken).ConfigureAwait(false);
                continue;
            }

            using (reader)
            {
                while (true)
                {
                    string? data;
                    try
                    {
                        data = await ServerSentEvents.ReadDataAsync(reader, cancellationToken).ConfigureAwait(false);
                    }
                    catch (Exception e) when (e is IOException or HttpRequestException)
                    {
                        break;
                    }

                    if (data is null)
                    {
                        break;
                    }

                    var item = decode(data, next);
                    failures = 0;
                    next++;
                    yield return item;
                }
            }
        }

        cancellationToken.ThrowIfCancellationRequested();
    }

    /// <summary>The open event stream, or null to retry; a refusal retrying cannot heal is thrown.</summary>
    private async Task<StreamReader?> OpenStreamAsync(string path, CancellationToken cancellationToken)
    {
        HttpResponseMessage? response = null;
        try
        {
            var request = read(path);
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
            response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            request.Dispose();
            if (!response.IsSuccessStatusCode)
            {
                var error = await LedgerClient.ReadErrorAsync(response, cancellationToken).ConfigureAwait(false);
                response.Dispose();
                if (error.Reason is RejectReason.ChainUnavailable or RejectReason.Unauthenticated or RejectReason.Forbidden)
                {
                    throw new LedgerRejectedException(error);
                }

                return null;
            }

            var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            return new StreamReader(stream);
        }
        catch (HttpRequestException)
        {
            response?.Dispose();
            return null;
        }
    }
}
