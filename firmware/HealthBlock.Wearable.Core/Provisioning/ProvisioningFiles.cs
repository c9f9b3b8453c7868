// Firmware core: nanoFramework core library only (see firmware/README.md, "The core's C# subset").
using HealthBlock.Protocol.Pairing;

namespace HealthBlock.Wearable.Provisioning
{
    /// <summary>
    /// What the provisioning files on the device's flash say (firmware/README.md, "Provisioning"): the pairing
    /// blob of <c>I:\hbpair.txt</c> and the Wi-Fi credentials of <c>I:\wifi.txt</c>. The device adapter only reads
    /// the bytes; the decisions are here, where the host tests reach them.
    /// </summary>
    public static class ProvisioningFiles
    {
        /// <summary>One line: the pairing blob printed by <c>healthblock gateway pair</c>.</summary>
        public const string PairingFile = "I:\\hbpair.txt";

        /// <summary>Optional: the Wi-Fi SSID on the first line, its password on the second.</summary>
        public const string WifiFile = "I:\\wifi.txt";

        /// <summary>Prefix of the two sequence-counter slot files (hbseq0.bin, hbseq1.bin).</summary>
        public const string CounterSlotPrefix = "I:\\hbseq";

        /// <summary>Longest SSID (IEEE 802.11: 32 octets).</summary>
        public const int MaxSsidLength = 32;

        /// <summary>Longest WPA2 passphrase (IEEE 802.11i: 8 to 63 characters; 64 for a hex PSK).</summary>
        public const int MaxWifiPasswordLength = 64;

        /// <summary>
        /// The pairing from the text of <see cref="PairingFile"/>; null with <paramref name="problem"/> saying why
        /// (no file, or the <see cref="PairingError"/> the codec found).
        /// </summary>
        public static PairingBlob ParsePairing(string text, out string problem)
        {
            if (text == null)
            {
                problem = "no " + PairingFile;
                return null;
            }

            PairingBlob blob;
            PairingError error;
            if (!PairingBlob.TryParse(text, out blob, out error))
            {
                problem = PairingFile + ": " + PairingBlob.ErrorName(error);
                return null;
            }

            problem = null;
            return blob;
        }

        /// <summary>
        /// The credentials of <see cref="WifiFile"/>: SSID on the first line, password (possibly empty, for an open
        /// network) on the second, white space and CR around each trimmed. False when there is no file, no SSID, or
        /// either is longer than 802.11 allows; the device then uses the credentials stored on it.
        /// </summary>
        public static bool TryParseWifi(string text, out string ssid, out string password)
        {
            ssid = null;
            password = null;
            if (text == null)
            {
                return false;
            }

            string[] lines = text.Split('\n');
            string first = lines[0].Trim();
            string second = lines.Length > 1 ? lines[1].Trim() : string.Empty;
            if (first.Length == 0 || first.Length > MaxSsidLength || second.Length > MaxWifiPasswordLength)
            {
                return false;
            }

            ssid = first;
            password = second;
            return true;
        }

        /// <summary>The file of sequence-counter slot <paramref name="slot"/>: <c>I:\hbseq0.bin</c> or <c>I:\hbseq1.bin</c>.</summary>
        public static string CounterSlotPath(string prefix, int slot)
        {
            return prefix + slot.ToString() + ".bin";
        }
    }
}
