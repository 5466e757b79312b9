using System.CommandLine;
using System.Globalization;

namespace ArxivRank.Cli;

/// <summary>Range checks for numeric options that never throw: a value that is not a number is left to System.CommandLine's own error.</summary>
internal static class OptionChecks
{
    public static void Require<T>(this Option<T?> option, Func<T, bool> isValid, string message)
        where T : struct, IParsable<T>
    {
        option.Validators.Add(result =>
        {
            if (result.Tokens.Count == 1 && T.TryParse(result.Tokens[0].Value, CultureInfo.InvariantCulture, out var value) && !isValid(value))
            {
                result.AddError(message);
            }
        });
    }
}
