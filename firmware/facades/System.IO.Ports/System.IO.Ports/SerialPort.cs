// Facade for the device build check: signatures only, written from the upstream public API recorded in
// firmware/facades/manifest.json. Never run; the device links the real nanoFramework assembly.

namespace System.IO.Ports
{
    public sealed class SerialPort
    {
        public SerialPort(string portName, int baudRate = 9600, Parity parity = Parity.None, int dataBits = 8, StopBits stopBits = StopBits.One) => throw null;

        public void Open() => throw null;

        public int BytesToRead => throw null;

        public int Read(byte[] buffer, int offset, int count) => throw null;

        public void Write(byte[] buffer, int offset, int count) => throw null;
    }
}
