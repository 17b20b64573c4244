import TremplinCore
import TremplinServices
import TremplinStore

/// The stop switch of automated SMS from the interface: `P` on any screen.
/// A supervisor or an administrator suspends with a reason, or resumes after
/// a confirmation; anyone else's press goes to the service, which refuses it
/// and logs the refusal. Every screen shows the suspension in force.
enum OutreachSwitchUpdate {
    static func key(_ state: inout AppState) -> [Effect] {
        guard state.viewer.role == .supervisor || state.viewer.role == .admin else {
            state.loading.insert("enregistrement")
            return [state.suspension == nil ? .suspendOutreach(reason: "") : .resumeOutreach]
        }
        if let suspension = state.suspension {
            state.dialog = .resumeOutreach(ResumeDialog(suspension: suspension))
        } else {
            state.dialog = .suspendOutreach(SuspendDialog())
        }
        return []
    }

    /// The switch as another process left it: the banner follows.
    static func read(_ state: inout AppState, _ suspension: OutreachSuspension?) {
        state.suspension = suspension
        clampAfterBanner(&state)
    }

    static func suspended(_ state: inout AppState, _ result: OutreachSwitch.Switched) -> [Effect] {
        state.loading.remove("enregistrement")
        state.dialog = nil
        state.suspension = result.suspension
        if result.changed {
            state.notice = Notice("Envoi automatique de SMS suspendu : plus aucun SMS ne part ; \(result.waiting) en attente partiront à la reprise (P). "
                                  + "Inscrit au journal d'audit.", kind: .success)
        } else if let s = result.suspension {
            state.notice = Notice("Déjà suspendu par \(s.suspendedByName) le \(FrenchTime.dateTime(s.suspendedAt)) : rien n'a été modifié.")
        }
        clampAfterBanner(&state)
        return []
    }

    static func resumed(_ state: inout AppState, _ result: OutreachSwitch.Switched, texted: Int) -> [Effect] {
        state.loading.remove("enregistrement")
        state.dialog = nil
        state.suspension = nil
        if result.changed {
            state.notice = Notice("Envoi automatique de SMS repris : les \(result.waiting) SMS en attente partent, une fois chacun"
                                  + (texted > 0 ? ", \(texted) personne(s) de plus contactée(s)" : "") + " (inscrit au journal d'audit).", kind: .success)
        } else {
            state.notice = Notice("L'envoi automatique de SMS n'était pas suspendu : rien n'a été modifié.")
        }
        clampAfterBanner(&state)
        return Update.reloadEffects(state)
    }

    /// The banner takes a row from the lists: their cursors stay in view.
    static func clampAfterBanner(_ state: inout AppState) {
        Update.clampCursors(&state)
    }
}
