using System.Net;
using System.Net.Sockets;

namespace HealthBlock.Hosting;

/// <summary>Checks and explains listen addresses, so that a role's start-up failure names the address it could not use.</summary>
public static class ListenAddresses
{
    /// <summary>
    /// Parses an HTTP listen URL (<c>http://IP:PORT</c>). A URL without a scheme, a host that is not an IP address or
    /// <c>localhost</c>, or a path is refused, naming <paramref name="option"/>.
    /// </summary>
    /// <exception cref="StartupFailedException">The text is not such a URL.</exception>
    public static Uri ParseHttpUrl(string text, string option)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!text.Contains("://", StringComparison.Ordinal))
        {
            throw new StartupFailedException($"{option} '{text}' has no scheme: write http://{text}");
        }

        if (!Uri.TryCreate(text, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
        {
            throw new StartupFailedException($"{option} '{text}' is not an http(s) URL such as https://127.0.0.1:8080");
        }

        if (url.AbsolutePath != "/" || !string.IsNullOrEmpty(url.Query))
        {
            throw new StartupFailedException($"{option} '{text}': a listen URL has no path");
        }

        return url;
    }

    /// <summary>
    /// True when <paramref name="exception"/> (or one of its causes) says an address is taken: a socket error
    /// <see cref="SocketError.AddressAlreadyInUse"/> or Kestrel's "address already in use".
    /// </summary>
    public static bool IsAddressInUse(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is SocketException { SocketErrorCode: SocketError.AddressAlreadyInUse }
                || (e is IOException && e.Message.Contains("address already in use", StringComparison.OrdinalIgnoreCase)))
            {
                return true;
            }

            if (e is AggregateException aggregate && aggregate.InnerExceptions.Any(IsAddressInUse))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Runs <paramref name="start"/>; an address-in-use failure becomes <see cref="InUse(string, string, Exception)"/>.</summary>
    /// <exception cref="StartupFailedException">The address is taken.</exception>
    public static async Task StartOrExplainAsync(Func<Task> start, string what, string address)
    {
        ArgumentNullException.ThrowIfNull(start);
        try
        {
            await start().ConfigureAwait(false);
        }
        catch (Exception e) when (IsAddressInUse(e))
        {
            throw InUse(what, address, e);
        }
    }

    /// <summary>The one-line failure for <paramref name="what"/> that could not bind <paramref name="address"/>.</summary>
    public static StartupFailedException InUse(string what, string address, Exception cause) =>
        new($"{what}: address {address} is already in use (another process listens there)", cause);

    /// <summary>The one-line failure for <paramref name="what"/> that could not bind <paramref name="endPoint"/>.</summary>
    public static StartupFailedException InUse(string what, EndPoint endPoint, Exception cause) => InUse(what, endPoint.ToString() ?? "?", cause);
}
