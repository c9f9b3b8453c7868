// Facade for the device build check: signatures only, written from the upstream public API recorded in
// firmware/facades/manifest.json. Never run; the device links the real nanoFramework assembly.

namespace System.Device.I2c
{
    public class I2cDevice
    {
        public I2cTransferResult WriteRead(SpanByte writeBuffer, SpanByte readBuffer) => throw null;

        public static I2cDevice Create(I2cConnectionSettings settings) => throw null;
    }
}
