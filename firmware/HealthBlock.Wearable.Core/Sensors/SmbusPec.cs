// Firmware core: nanoFramework core library only (see firmware/README.md, "The core's C# subset").
namespace HealthBlock.Wearable.Sensors
{
    /// <summary>
    /// The SMBus packet error code: CRC-8 with polynomial x^8 + x^2 + x + 1 (0x07), initial value 0, over every
    /// byte of the transaction including the address bytes (address × 2 for write, address × 2 + 1 for read).
    /// </summary>
    public static class SmbusPec
    {
        /// <summary>Folds <paramref name="count"/> bytes of <paramref name="data"/> into <paramref name="crc"/>.</summary>
        public static byte Update(byte crc, byte[] data, int offset, int count)
        {
            int c = crc;
            for (int i = 0; i < count; i++)
            {
                c ^= data[offset + i];
                for (int bit = 0; bit < 8; bit++)
                {
                    c = (c & 0x80) != 0 ? ((c << 1) ^ 0x07) & 0xFF : (c << 1) & 0xFF;
                }
            }

            return (byte)c;
        }

        /// <summary>The PEC of an SMBus "read word": address+W, command, address+R, low byte, high byte.</summary>
        public static byte ForReadWord(int address, byte command, byte low, byte high)
        {
            byte[] packet = new byte[] { (byte)(address << 1), command, (byte)((address << 1) | 1), low, high };
            return Update(0, packet, 0, packet.Length);
        }

        /// <summary>The PEC of an SMBus "write word": address+W, command, low byte, high byte.</summary>
        public static byte ForWriteWord(int address, byte command, byte low, byte high)
        {
            byte[] packet = new byte[] { (byte)(address << 1), command, low, high };
            return Update(0, packet, 0, packet.Length);
        }
    }
}
