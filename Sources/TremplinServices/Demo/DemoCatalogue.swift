import TremplinCore

/// The fixed vocabulary of the demo: trades under strain in Grand Est with
/// real ROME v4 codes and the training that leads to them, training towns,
/// agencies and their staff, and French names. Only the draws vary by seed.
enum DemoCatalogue {
    enum Family: CaseIterable { case care, industry, building, logistics, hospitality }

    struct Trade {
        let rome: String
        let weight: Int
        let family: Family
        let title: String
        let hours: Int
        let months: Int
        let minimumDiploma: DiplomaLevel
        let certifications: [String]
        let positioningTest: Bool
        let minimumAge: Int?
        /// Share of women among job seekers wishing this trade, for realistic
        /// fairness-monitoring data (never used by any score).
        let womenShare: Double
    }

    static let trades: [Trade] = [
        Trade(rome: "J1501", weight: 14, family: .care, title: "Diplôme d'État d'aide-soignant (DEAS)", hours: 1540, months: 11,
              minimumDiploma: .none, certifications: [], positioningTest: true, minimumAge: 17, womenShare: 0.88),
        Trade(rome: "K1302", weight: 12, family: .care, title: "Titre professionnel Assistant de vie aux familles (ADVF)", hours: 800, months: 6,
              minimumDiploma: .none, certifications: ["permis_b"], positioningTest: false, minimumAge: 18, womenShare: 0.9),
        Trade(rome: "K1306", weight: 6, family: .care, title: "Diplôme d'État d'accompagnant éducatif et social (DEAES)", hours: 1407, months: 10,
              minimumDiploma: .none, certifications: [], positioningTest: true, minimumAge: 18, womenShare: 0.85),
        Trade(rome: "J1301", weight: 6, family: .care, title: "Agent de service hospitalier qualifié (ASHQ)", hours: 350, months: 3,
              minimumDiploma: .none, certifications: [], positioningTest: false, minimumAge: 18, womenShare: 0.8),
        Trade(rome: "K1304", weight: 4, family: .care, title: "Titre professionnel Employé familial", hours: 500, months: 4,
              minimumDiploma: .none, certifications: [], positioningTest: false, minimumAge: 18, womenShare: 0.85),
        Trade(rome: "H2913", weight: 6, family: .industry, title: "Titre professionnel Soudeur assembleur industriel", hours: 750, months: 6,
              minimumDiploma: .none, certifications: [], positioningTest: true, minimumAge: 18, womenShare: 0.1),
        Trade(rome: "H2902", weight: 3, family: .industry, title: "Titre professionnel Chaudronnier", hours: 1000, months: 8,
              minimumDiploma: .cap, certifications: [], positioningTest: true, minimumAge: 18, womenShare: 0.08),
        Trade(rome: "H2909", weight: 3, family: .industry, title: "CQP Assembleur monteur de systèmes mécanisés", hours: 400, months: 3,
              minimumDiploma: .none, certifications: [], positioningTest: false, minimumAge: 18, womenShare: 0.25),
        Trade(rome: "I1310", weight: 3, family: .industry, title: "Titre professionnel Technicien de maintenance industrielle", hours: 1100, months: 9,
              minimumDiploma: .cap, certifications: ["habilitation_electrique"], positioningTest: true, minimumAge: 18, womenShare: 0.1),
        Trade(rome: "H2102", weight: 3, family: .industry, title: "CQP Conducteur de ligne de fabrication alimentaire", hours: 420, months: 4,
              minimumDiploma: .none, certifications: [], positioningTest: false, minimumAge: 18, womenShare: 0.35),
        Trade(rome: "F1703", weight: 5, family: .building, title: "Titre professionnel Maçon", hours: 840, months: 7,
              minimumDiploma: .none, certifications: [], positioningTest: false, minimumAge: 18, womenShare: 0.05),
        Trade(rome: "F1602", weight: 4, family: .building, title: "Titre professionnel Électricien d'équipement du bâtiment", hours: 900, months: 7,
              minimumDiploma: .none, certifications: [], positioningTest: true, minimumAge: 18, womenShare: 0.08),
        Trade(rome: "F1603", weight: 3, family: .building, title: "Titre professionnel Installateur en thermique et sanitaire", hours: 1000, months: 8,
              minimumDiploma: .none, certifications: [], positioningTest: true, minimumAge: 18, womenShare: 0.06),
        Trade(rome: "F1604", weight: 2, family: .building, title: "Titre professionnel Plaquiste", hours: 600, months: 5,
              minimumDiploma: .none, certifications: [], positioningTest: false, minimumAge: 18, womenShare: 0.07),
        Trade(rome: "F1606", weight: 2, family: .building, title: "Titre professionnel Peintre en bâtiment", hours: 700, months: 6,
              minimumDiploma: .none, certifications: [], positioningTest: false, minimumAge: 18, womenShare: 0.2),
        Trade(rome: "N1101", weight: 5, family: .logistics, title: "Titre professionnel Cariste d'entrepôt (CACES R489)", hours: 400, months: 3,
              minimumDiploma: .none, certifications: [], positioningTest: false, minimumAge: 18, womenShare: 0.15),
        Trade(rome: "N1103", weight: 5, family: .logistics, title: "Titre professionnel Préparateur de commandes en entrepôt", hours: 350, months: 3,
              minimumDiploma: .none, certifications: [], positioningTest: false, minimumAge: 18, womenShare: 0.3),
        Trade(rome: "N1110", weight: 3, family: .logistics, title: "Titre professionnel Agent magasinier", hours: 600, months: 5,
              minimumDiploma: .none, certifications: [], positioningTest: false, minimumAge: 18, womenShare: 0.3),
        Trade(rome: "N4101", weight: 3, family: .logistics, title: "Titre professionnel Conducteur du transport routier de marchandises sur porteur", hours: 490, months: 4,
              minimumDiploma: .none, certifications: ["permis_b"], positioningTest: true, minimumAge: 18, womenShare: 0.1),
        Trade(rome: "G1609", weight: 3, family: .hospitality, title: "Titre professionnel Cuisinier", hours: 900, months: 7,
              minimumDiploma: .none, certifications: [], positioningTest: false, minimumAge: 17, womenShare: 0.35),
        Trade(rome: "K2204", weight: 3, family: .hospitality, title: "Titre professionnel Agent de propreté et d'hygiène", hours: 450, months: 4,
              minimumDiploma: .none, certifications: [], positioningTest: false, minimumAge: 18, womenShare: 0.6),
    ]

    /// Provider names only: the demo invents no SIRET.
    static let providers: [Family: [String]] = [
        .care: ["Croix-Rouge Compétence Grand Est", "GRETA CFA Alsace Sud",
                "GRETA Lorraine Centre", "IRTS de Lorraine"],
        .industry: ["Pôle formation UIMM Alsace", "AFPI Lorraine",
                    "AFPA Grand Est"],
        .building: ["AFPA Grand Est", "BTP CFA Grand Est",
                    "GRETA Champagne-Ardenne"],
        .logistics: ["AFTRAL Grand Est", "Promotrans Grand Est",
                     "AFPA Grand Est"],
        .hospitality: ["GRETA Champagne-Ardenne", "AFPA Grand Est"],
    ]

    /// Training towns and how many sessions they tend to host.
    static let trainingTowns: [(name: String, weight: Int)] = [
        ("Strasbourg", 10), ("Metz", 8), ("Nancy", 8), ("Reims", 7), ("Mulhouse", 6), ("Colmar", 4), ("Troyes", 4),
        ("Épinal", 3), ("Charleville-Mézières", 3), ("Chaumont", 2), ("Bar-le-Duc", 2), ("Thionville", 3),
        ("Haguenau", 2), ("Saint-Dié-des-Vosges", 2), ("Châlons-en-Champagne", 2), ("Forbach", 2), ("Verdun", 1),
        ("Sélestat", 1), ("Saint-Dizier", 1), ("Épernay", 1), ("Lunéville", 1), ("Sarreguemines", 1),
    ]

    static let streets = ["rue du Général Leclerc", "avenue de la Liberté", "rue des Tanneurs", "boulevard Clemenceau",
                          "rue Jean Jaurès", "rue de l'Industrie", "rue Pasteur", "allée des Métiers", "rue de la Gare",
                          "avenue Foch", "rue du Maréchal Joffre", "zone d'activités du Parc"]

    static let schedules = ["lun-ven 08:30-12:00 13:00-16:30", "lun-ven 09:00-12:30 13:30-17:00",
                            "lun-jeu 08:00-12:00 13:00-17:00 | ven 08:00-12:00", "lun-ven 08:00-12:00 13:00-16:00"]

    /// One agency per département, with two counsellors each.
    static let agencies: [(departement: String, id: String, name: String, town: String, counsellors: [(String, String)])] = [
        ("08", "ft-charleville", "France Travail Charleville-Mézières", "Charleville-Mézières",
         [("lucas.lefevre", "Lucas Lefèvre"), ("ines.gauthier", "Inès Gauthier")]),
        ("10", "ft-troyes", "France Travail Troyes Chartreux", "Troyes", [("julie.robert", "Julie Robert"), ("hugo.fontaine", "Hugo Fontaine")]),
        ("51", "ft-reims", "France Travail Reims Europe", "Reims", [("emma.durand", "Emma Durand"), ("nathan.perrin", "Nathan Perrin")]),
        ("52", "ft-chaumont", "France Travail Chaumont", "Chaumont", [("lea.roussel", "Léa Roussel"), ("theo.masson", "Théo Masson")]),
        ("54", "ft-nancy", "France Travail Nancy Gentilly", "Nancy", [("chloe.bernard", "Chloé Bernard"), ("maxime.colin", "Maxime Colin")]),
        ("55", "ft-bar-le-duc", "France Travail Bar-le-Duc", "Bar-le-Duc", [("manon.henry", "Manon Henry"), ("antoine.gerard", "Antoine Gérard")]),
        ("57", "ft-metz", "France Travail Metz Borny", "Metz", [("sarah.weber", "Sarah Weber"), ("thomas.schmitt", "Thomas Schmitt")]),
        ("67", "ft-strasbourg", "France Travail Strasbourg Meinau", "Strasbourg", [("camille.martin", "Camille Martin"), ("yanis.meyer", "Yanis Meyer")]),
        ("68", "ft-mulhouse", "France Travail Mulhouse Doller", "Mulhouse", [("laura.muller", "Laura Muller"), ("kevin.klein", "Kévin Klein")]),
        ("88", "ft-epinal", "France Travail Épinal", "Épinal", [("pauline.andre", "Pauline André"), ("romain.vincent", "Romain Vincent")]),
    ]

    static let supervisor = (id: "sophie.lambert", name: "Sophie Lambert")
    static let admin = (id: "admin", name: "Administrateur Tremplin")
    /// A member of the ethics committee: aggregate figures only.
    static let ethics = (id: "comite.ethique", name: "Comité d'éthique")

    static let womenFirstNames = ["Marie", "Camille", "Léa", "Manon", "Chloé", "Emma", "Inès", "Sarah", "Julie", "Laura", "Amandine",
                                  "Nadia", "Fatima", "Aïcha", "Sophie", "Céline", "Élodie", "Mélanie", "Aurélie", "Sandrine", "Nathalie",
                                  "Stéphanie", "Zoé", "Anaïs", "Océane", "Gaëlle", "Hélène", "Françoise", "Jessica", "Yasmine", "Amel",
                                  "Khadija", "Fatoumata", "Aminata", "Ludivine", "Coralie", "Virginie", "Marion", "Justine", "Noémie"]
    static let menFirstNames = ["Thomas", "Nicolas", "Julien", "Kévin", "Maxime", "Lucas", "Hugo", "Théo", "Nathan", "Antoine",
                                "Mohamed", "Karim", "Mehdi", "Yanis", "Jérôme", "François", "Sébastien", "Jean-Pierre", "Loïc", "Cédric",
                                "Romain", "Alexandre", "Benoît", "Grégory", "Mamadou", "Ibrahima", "Rayan", "Noël", "Mathéo", "Enzo",
                                "Dylan", "Florian", "Jérémy", "Anthony", "Steve", "Ahmed", "Bilal", "Stéphane", "Hervé", "Joël"]
    static let lastNames = ["Martin", "Bernard", "Thomas", "Petit", "Robert", "Richard", "Durand", "Dubois", "Moreau", "Laurent",
                            "Simon", "Michel", "Lefèvre", "Leroy", "Roux", "Fournier", "Girard", "Bonnet", "Dupont", "Lambert",
                            "Muller", "Schmitt", "Meyer", "Weber", "Klein", "Wagner", "Fischer", "Becker", "Hoffmann", "Schneider",
                            "Koenig", "Zimmermann", "Kieffer", "Haag", "Heitz", "Bauer", "Jung", "Walter", "Keller", "Gross",
                            "Mathieu", "Colin", "Perrin", "Gérard", "André", "Henry", "Masson", "Marchal", "Thiébaut", "Humbert",
                            "Benali", "Belkacem", "Haddad", "Mansouri", "Diallo", "Traoré", "Nguyen", "Da Silva", "Ferreira",
                            "Yılmaz", "Kaya", "Kowalski", "Nowak", "Rossi", "Lopez", "Garcia", "Martinez", "Œhler", "Gaël-Dufour",
                            "N'Diaye", "D'Amico", "Lê", "Saint-Éloi"]
    static let emailDomains = ["example.org", "example.com", "example.net"]
    static let unavailableSlots = ["mer", "mar 08:00-12:00", "ven 13:00-18:00", "lun 08:00-10:00", "sam", "jeu 16:00-19:00"]
    static let travelMinutes = [20, 30, 30, 45, 45, 45, 60, 60, 75, 90]
}
