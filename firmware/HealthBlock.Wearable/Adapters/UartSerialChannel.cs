// Device adapter: .NET nanoFramework on ESP32 (compiled in CI by HealthBlock.Wearable.NanoCheck; see firmware/README.md).
using System.IO.Ports;
using HealthBlock.Wearable.Hardware;

namespace HealthBlock.Wearable.Device.Adapters
{
    /// <summary>
    /// A UART at 8N1 (System.IO.Ports: SerialPort(port, baud, Parity, dataBits, StopBits), Open, BytesToRead, Read,
    /// Write). Reads only what BytesToRead says has arrived, so it never blocks.
    /// </summary>
    internal sealed class UartSerialChannel : ISerialChannel
    {
        private readonly SerialPort _port;

        public UartSerialChannel(string portName, int baudRate)
        {
            _port = new SerialPort(portName, baudRate, Parity.None, 8, StopBits.One);
            _port.Open();
        }

        public int ReadAvailable(byte[] buffer, int offset, int count)
        {
            int available = _port.BytesToRead;
            if (available <= 0)
            {
                return 0;
            }

            return _port.Read(buffer, offset, available < count ? available : count);
        }

        public void Write(byte[] buffer, int offset, int count)
        {
            _port.Write(buffer, offset, count);
        }
    }
}
