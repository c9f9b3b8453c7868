using HealthBlock.Wearable.Hardware;

namespace HealthBlock.Wearable.Simulation.Cuff;

/// <summary>
/// The firmware core's <see cref="ISerialChannel"/> over two streams (RX and TX). The RX stream's <c>Read</c> must
/// return 0 at once when no byte is waiting, as the UART adapter on the device does.
/// </summary>
public sealed class StreamSerialChannel(Stream receive, Stream transmit) : ISerialChannel
{
    /// <inheritdoc />
    public int ReadAvailable(byte[] buffer, int offset, int count) => receive.Read(buffer, offset, count);

    /// <inheritdoc />
    public void Write(byte[] buffer, int offset, int count)
    {
        transmit.Write(buffer, offset, count);
        transmit.Flush();
    }
}
