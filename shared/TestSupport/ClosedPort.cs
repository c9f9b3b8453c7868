// Shared by the test projects (linked into each, not a library).
using System.Net;
using System.Net.Sockets;

namespace HealthBlock.TestSupport;

/// <summary>
/// A loopback port nothing listens on, held for as long as this object lives: the socket is bound (by the OS, port 0)
/// but never listens, so connections are refused and no other process can take the port meanwhile.
/// </summary>
internal sealed class ClosedPort : IDisposable
{
    private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);

    /// <summary>Binds the port.</summary>
    public ClosedPort()
    {
        _socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        Port = ((IPEndPoint)_socket.LocalEndPoint!).Port;
    }

    /// <summary>The port.</summary>
    public int Port { get; }

    /// <summary>Releases the port.</summary>
    public void Dispose() => _socket.Dispose();
}
