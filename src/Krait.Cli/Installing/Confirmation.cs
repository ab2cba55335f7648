using Krait.Cli.Output;

namespace Krait.Cli.Installing;

/// <summary>The one "Proceed?" prompt of every command that changes something.</summary>
public static class Confirmation
{
    /// <summary>
    /// Asks to proceed, as conda's <c>confirm_yn</c> does, also when stdin is not a terminal (a piped answer counts):
    /// y or yes proceeds, n or no cancels, anything else is asked again, and an empty answer or the end of the input
    /// takes the default, which is yes, except for a <paramref name="destructive"/> change (removing a whole
    /// environment): that one never proceeds without -y or an answer that means yes.
    /// </summary>
    public static void Ask(bool destructive)
    {
        while (true)
        {
            Console.Write(destructive ? "Proceed (y/[n])? " : "Proceed ([y]/n)? ");
            var answer = Console.ReadLine()?.Trim().ToLowerInvariant();
            switch (answer)
            {
                case "y" or "yes":
                    return;
                case "n" or "no":
                    throw new KraitException("CondaSystemExit", "cancelled: nothing was changed");
                case null or "" when destructive:
                    throw new KraitException("CondaSystemExit", "not confirmed: nothing was removed", "answer y, or give -y to proceed without asking");
                case null or "":
                    return;
                default:
                    Console.WriteLine($"Invalid choice: {answer}");
                    break;
            }
        }
    }
}
