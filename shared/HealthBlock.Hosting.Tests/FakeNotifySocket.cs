using System.Net.Sockets;
using System.Text;

namespace HealthBlock.Hosting.Tests;

/// <summary>A unix datagram socket standing in for systemd's notification socket: records every datagram it receives.</summary>
internal sealed class FakeNotifySocket : IDisposable
{
    private readonly Socket _socket;
    private readonly List<string> _messages = [];
    private readonly Task _receiver;

    public FakeNotifySocket(string path)
    {
        Path = path;
        _socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        _socket.Bind(new UnixDomainSocketEndPoint(path));
        _receiver = Task.Run(ReceiveAsync);
    }

    public string Path { get; }

    public IReadOnlyList<string> Messages
    {
        get
        {
            lock (_messages)
            {
                return [.. _messages];
            }
        }
    }

    private async Task ReceiveAsync()
    {
        var buffer = new byte[4096];
        while (true)
        {
            int n;
            try
            {
                n = await _socket.ReceiveAsync(buffer, SocketFlags.None);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                return;
            }

            lock (_messages)
            {
                _messages.Add(Encoding.UTF8.GetString(buffer, 0, n));
            }
        }
    }

    public void Dispose()
    {
        _socket.Dispose();
        _receiver.Wait(TimeSpan.FromSeconds(5));
        File.Delete(Path);
    }
}
