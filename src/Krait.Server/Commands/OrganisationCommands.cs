using System.CommandLine;
using System.Text.Json;
using Krait.Server.Metadata;
using static Krait.Server.Commands.CommandRun;

namespace Krait.Server.Commands;

/// <summary><c>krait server org create|member|remove-member|list|notices</c>.</summary>
public static class OrganisationCommands
{
    public static Command Build()
    {
        var createHome = HomeArgument(required: true);
        var createName = new Argument<string>("name") { Description = "the organisation's name" };
        var createOwner = new Option<string>("--owner") { Description = "its first owner (a user)", Required = true };
        var create = new Command("create", "Make an organisation with a first owner.") { createHome, createName, createOwner };
        create.SetAction(parse => Run(() =>
        {
            Administration.CreateOrganisation(Open(parse, createHome), parse.GetValue(createName)!, parse.GetValue(createOwner)!);
            Console.WriteLine($"Made the organisation '{parse.GetValue(createName)}', owned by '{parse.GetValue(createOwner)}'");
            return 0;
        }));

        var memberHome = HomeArgument(required: true);
        var memberOrg = new Argument<string>("organisation");
        var memberUser = new Argument<string>("user");
        var memberRole = new Option<string>("--role") { Description = "member (reads the organisation's private channels), maintainer (uploads), owner (manages)", DefaultValueFactory = _ => "member" };
        var member = new Command("member", "Make a user a member of an organisation, or change their role.") { memberHome, memberOrg, memberUser, memberRole };
        member.SetAction(parse => Run(() =>
        {
            Administration.SetOrganisationMember(Open(parse, memberHome), parse.GetValue(memberOrg)!, parse.GetValue(memberUser)!, parse.GetValue(memberRole)!);
            Console.WriteLine($"'{parse.GetValue(memberUser)}' is {parse.GetValue(memberRole)} of '{parse.GetValue(memberOrg)}'");
            return 0;
        }));

        var removeHome = HomeArgument(required: true);
        var removeOrg = new Argument<string>("organisation");
        var removeUser = new Argument<string>("user");
        var remove = new Command("remove-member", "Take a user out of an organisation (and out of its subscriptions' seats).") { removeHome, removeOrg, removeUser };
        remove.SetAction(parse => Run(() =>
        {
            Administration.RemoveOrganisationMember(Open(parse, removeHome), parse.GetValue(removeOrg)!, parse.GetValue(removeUser)!);
            Console.WriteLine($"'{parse.GetValue(removeUser)}' is no longer a member of '{parse.GetValue(removeOrg)}'");
            return 0;
        }));

        var listHome = HomeArgument();
        var listJson = new Option<bool>("--json") { Description = "print JSON" };
        var list = new Command("list", "List organisations and their members.") { listHome, listJson };
        list.SetAction(parse => Run(() =>
        {
            var store = Administration.Store(Open(parse, listHome));
            var organisations = store.Organisations().Select(o => (Name: o, Members: store.OrganisationMembers(o))).ToList();
            if (parse.GetValue(listJson))
            {
                Console.WriteLine(JsonSerializer.Serialize(organisations.Select(o => new Dictionary<string, object>
                {
                    ["name"] = o.Name,
                    ["members"] = o.Members.Select(m => new Dictionary<string, string> { ["username"] = m.User, ["role"] = ChannelRoles.Name(m.Role) }).ToList(),
                })));
                return 0;
            }

            foreach (var (name, members) in organisations)
            {
                Console.WriteLine($"{name,-24} {string.Join(", ", members.Select(m => $"{m.User} ({ChannelRoles.Name(m.Role)})"))}");
            }

            return 0;
        }));

        var noticesHome = HomeArgument(required: true);
        var noticesOrg = new Argument<string>("organisation");
        var notices = new Command("notices", "What an organisation's owners were told (seats used beyond those bought).") { noticesHome, noticesOrg };
        notices.SetAction(parse => Run(() =>
        {
            foreach (var notice in Administration.Store(Open(parse, noticesHome)).Notices(parse.GetValue(noticesOrg)!))
            {
                Console.WriteLine($"{notice.At[..19]}Z  {notice.Text}");
            }

            return 0;
        }));

        return new Command("org", "Administer organisations.") { create, member, remove, list, notices };
    }
}
